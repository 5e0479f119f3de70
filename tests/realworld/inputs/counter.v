// A small design for the yosys case: an 8-bit counter with enable and a
// registered comparator.
module counter(input clk, input rst, input en, output reg [7:0] count, output reg wrap);
  always @(posedge clk) begin
    if (rst) begin
      count <= 8'd0;
      wrap <= 1'b0;
    end else if (en) begin
      count <= count + 8'd1;
      wrap <= count == 8'hff;
    end
  end
endmodule
